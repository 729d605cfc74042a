"""The clinic's audit log page (admins) and a patient's "who saw my data" list."""
