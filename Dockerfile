# One container is the whole app: FastAPI serving the API, the chat UI and the sandbox.
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
