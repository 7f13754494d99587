"""b24desk: reopen batches of completed Bitrix24 tasks from the desktop."""

__version__ = "0.1.0"
