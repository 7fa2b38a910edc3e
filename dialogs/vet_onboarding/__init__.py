"""The vet's profile form (VetProfileSG), opened after accepting an invite or by /vet_profile."""
