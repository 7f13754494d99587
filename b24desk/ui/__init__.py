"""The Qt layer: models, widgets and the single asyncio/Qt bridge."""
