"""/schedule (VetScheduleSG): the vet's weekly template, timing and exceptions."""
