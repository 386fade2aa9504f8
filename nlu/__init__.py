"""Dutch NLU for Bestaanswijzer: training data (``*.yml``) and custom Rasa components."""
