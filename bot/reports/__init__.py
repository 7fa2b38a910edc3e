"""Documents for people to read (PDF), behind core.ports.reports."""
