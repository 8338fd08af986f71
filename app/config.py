"""Settings, read once from the environment (and an optional `.env` file)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./pdsa.db"
    pdsa_bootstrap_key: str | None = None
    bootstrap_organisation_name: str = "My organisation"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    max_body_bytes: int = 10 * 1024 * 1024
    housekeeping_interval_seconds: float = 600.0
    # A request waits this long for the database before answering 503 (`app.deadline`).
    request_timeout_seconds: float = 10.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
