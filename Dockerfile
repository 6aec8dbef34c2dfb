# modulplan: the API (gunicorn) and the Celery worker share this image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY scheduler ./scheduler
COPY service ./service
# the ITC-2007 adapter: `modulplan` lists its `itc2007` command (an entry point) at every start
COPY benchmarks ./benchmarks
RUN pip install . && useradd --system --home /app modulplan && mkdir -p /app/instance && chown modulplan /app/instance
USER modulplan
EXPOSE 8000
# default: the API; the compose file runs `modulplan worker` from the same image
CMD ["modulplan", "serve", "--host", "0.0.0.0", "--port", "8000"]
