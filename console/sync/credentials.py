"""The offline login verifier: scrypt of the password with a random salt (never the password)."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

# scrypt cost: about 50 ms and 16 MiB per check, so a stolen replica is slow to brute-force.
N, R, P = 2**14, 8, 1


def make_verifier(username: str, password: str) -> dict[str, Any]:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return {"username": username, "salt": salt.hex(), "n": N, "r": R, "p": P, "hash": digest.hex()}


def check_verifier(verifier: dict[str, Any] | None, username: str, password: str) -> bool:
    if not verifier or verifier.get("username") != username:
        return False
    try:
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(verifier["salt"]),
                                n=int(verifier["n"]), r=int(verifier["r"]), p=int(verifier["p"]), dklen=32)
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(digest.hex(), str(verifier["hash"]))
