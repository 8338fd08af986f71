"""Signed, expiring links to a chart picture, each standing for the API key that minted it.

A token is `<claims>.<signature>`, both base64url: the claims name the key (by id), the
measure, the picture and the expiry; the signature is an HMAC-SHA256 of the claims keyed by the
key's stored hash. So the token reveals nothing of the key, a token cannot be altered or
forged without the key, the key's revocation ends every link it minted (the poll that serves
the picture refuses a revoked key), and no server-wide secret needs sharing between replicas.
"""

import base64
import binascii
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlmodel import col

from app.models.embed import ChartLinkCreate, ChartLinkPublic
from app.models.organisation import ApiKey
from app.pictures.chart import Picture
from app.principal import Principal
from app.problems import Forbidden

clock = time.time  # seconds since the epoch (tests move it)
# The minting key's stored hash: the signature's key, and the poll's credential.
SIGNING_KEY = select(col(ApiKey.secret_hash)).where(col(ApiKey.id) == bindparam("key_id"))


@dataclass(frozen=True)
class Claims:
    key_id: uuid.UUID
    measure_id: uuid.UUID
    picture: Picture
    expires: int  # seconds since the epoch


def mint(
    principal: Principal, key_hash: str, measure_id: uuid.UUID, link: ChartLinkCreate
) -> ChartLinkPublic:
    expires = int(clock() + timedelta(days=link.expires_in_days).total_seconds())
    claims = {
        "k": str(principal.key_id),
        "m": str(measure_id),
        "p": [link.format, link.width, link.height, link.two_sigma],
        "e": expires,
    }
    encoded = _b64(json.dumps(claims, separators=(",", ":")).encode())
    token = f"{encoded}.{_b64(_signature(key_hash, encoded))}"
    return ChartLinkPublic(
        url=f"/embed/charts/{token}", expires_at=datetime.fromtimestamp(expires, UTC)
    )


def read(token: str) -> Claims:
    """The token's claims, not yet trusted (`verify` them with the key's hash)."""
    try:
        encoded = token.split(".")[0]
        raw: dict[str, Any] = json.loads(_unb64(encoded))
        format, width, height, two_sigma = raw["p"]
        picture = Picture(format, int(width), int(height), bool(two_sigma))
        return Claims(uuid.UUID(raw["k"]), uuid.UUID(raw["m"]), picture, int(raw["e"]))
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise Forbidden("This is not a valid chart link.") from exc


def verify(token: str, claims: Claims, key_hash: str | None) -> str:
    """The minting key's hash (None: no such key), once it has vouched for the token."""
    encoded, _, signature = token.partition(".")
    if key_hash is None or not hmac.compare_digest(signature, _b64(_signature(key_hash, encoded))):
        raise Forbidden("This is not a valid chart link.")
    if claims.expires <= clock():
        raise Forbidden("This chart link has expired: ask for a new one.")
    return key_hash


def _signature(key_hash: str, encoded: str) -> bytes:
    return hmac.new(key_hash.encode(), encoded.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
