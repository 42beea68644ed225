# One container is the whole app: FastAPI serving the API, the chat UI and the sandbox.
# No Java here: Spark jobs run on a Spark Connect server named by PLOTWISE_SPARK_REMOTE
# (docker-compose.yml runs one beside the app). Without it, this image cannot start Spark and
# Spark jobs fail; everything else works.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN make install
ENV PLOTWISE_HOST=0.0.0.0 PLOTWISE_DATA_DIR=/data
VOLUME /data
EXPOSE 8000 8001
CMD [".venv/bin/plotwise", "serve"]
