"""The Qt-free core: the Bitrix24 client, the renew engine, credentials.

Nothing below this package imports Qt; the UI imports the core, never the other way round.
"""
