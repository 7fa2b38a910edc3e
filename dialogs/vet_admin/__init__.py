"""Admins: profiles waiting for verification (VetAdminSG), verify or reject."""
