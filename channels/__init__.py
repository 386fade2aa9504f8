"""Messaging channels for Rasa: Telegram (python-telegram-bot) and the WhatsApp Cloud API.

Enable them with environment variables (see ``channels.settings``); ``python -m bot serve`` adds
every configured channel to the Rasa server next to the REST channel.
"""
