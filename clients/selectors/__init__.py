"""Reads of client records: `client_file` (one client's record and history, within the
reader's scope), `portfolio` (searching and paging lists of clients) and `advisors`
(who takes a new application)."""
