"""Reads of client records: `client_file` (one client's record and history, within the
reader's scope) and `portfolio` (searching and paging lists of clients)."""
