-- The tracker store's own database next to the knowledge base and cases (bestaanswijzer).
CREATE DATABASE rasa_tracker OWNER bestaanswijzer;
