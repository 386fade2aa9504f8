-- Channel state (channels/store.py: sender map, WhatsApp 24-hour window, outbox, deliveries),
-- shared by the Rasa replicas (BW_CHANNELS_DB). A database of its own: the case store in
-- bestaanswijzer has an outbox table too. Scripts here run only when the volume is new; on an
-- existing one: docker compose exec postgres createdb -U bestaanswijzer bw_channels
CREATE DATABASE bw_channels OWNER bestaanswijzer;
