"""Key derivation and key wrapping for the vault.

passphrase --Argon2id--> key-encryption key (KEK) --AES-256-GCM--> wrapped data keys.
Data keys are random 256-bit keys; sub-keys for SQLCipher, blob encryption and blob naming are
derived from them with HKDF so one stored key serves each purpose without reuse.
"""

from __future__ import annotations

import base64
import os
import time
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
MIN_MEMORY_KIB = 64 * 1024  # never below 64 MiB, not even in tests


@dataclass(frozen=True)
class KdfParams:
    salt: str  # base64
    memory_kib: int = 256 * 1024
    iterations: int = 3
    lanes: int = 2
    name: str = "argon2id"

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, object]) -> KdfParams:
        if d.get("name") != "argon2id":
            raise ValueError(f"unsupported KDF {d.get('name')!r}")
        return cls(
            salt=str(d["salt"]),
            memory_kib=int(d["memory_kib"]),  # type: ignore[call-overload]
            iterations=int(d["iterations"]),  # type: ignore[call-overload]
            lanes=int(d["lanes"]),  # type: ignore[call-overload]
        )


def b64e(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def b64d(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


def new_salt() -> str:
    return b64e(os.urandom(16))


def derive_kek(passphrase: str, p: KdfParams) -> bytes:
    if p.memory_kib < MIN_MEMORY_KIB:
        raise ValueError("KDF memory below the 64 MiB floor")
    kdf = Argon2id(
        salt=b64d(p.salt),
        length=KEY_BYTES,
        iterations=p.iterations,
        lanes=p.lanes,
        memory_cost=p.memory_kib,
    )
    return kdf.derive(passphrase.encode("utf-8"))


def tune_kdf(target_seconds: float = 0.6, memory_kib: int = 256 * 1024) -> KdfParams:
    """Pick iterations so one derivation takes about ``target_seconds`` on this machine."""
    probe = KdfParams(salt=new_salt(), memory_kib=memory_kib, iterations=1)
    t0 = time.perf_counter()
    derive_kek("probe", probe)
    one = max(time.perf_counter() - t0, 1e-3)
    iterations = max(2, min(12, round(target_seconds / one)))
    return KdfParams(salt=new_salt(), memory_kib=memory_kib, iterations=iterations)


def fast_test_kdf() -> KdfParams:
    """The cheapest parameters the vault accepts (64 MiB, one pass): for test fixtures only."""
    return KdfParams(salt=new_salt(), memory_kib=MIN_MEMORY_KIB, iterations=1)


def wrap(kek: bytes, key: bytes, aad: str) -> str:
    nonce = os.urandom(12)
    return b64e(nonce + AESGCM(kek).encrypt(nonce, key, aad.encode()))


def unwrap(kek: bytes, wrapped: str, aad: str) -> bytes | None:
    """The key, or None when the KEK is wrong (GCM tag mismatch)."""
    raw = b64d(wrapped)
    try:
        return AESGCM(kek).decrypt(raw[:12], raw[12:], aad.encode())
    except InvalidTag:
        return None


def subkey(key: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(key)


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_recovery_code() -> str:
    """25 symbols from a 32-symbol alphabet = 125 bits, shown in groups of five."""
    import secrets

    s = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(25))
    return "-".join(s[i : i + 5] for i in range(0, 25, 5))


def normalise_recovery_code(code: str) -> str:
    s = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(s[i : i + 5] for i in range(0, len(s), 5))


# --- sealing data keys to a user's public key (so the owner can grant without the proxy's passphrase)


def new_keypair() -> tuple[bytes, bytes]:
    """(private, public) raw X25519 keys."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    priv = X25519PrivateKey.generate()
    return (
        priv.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )


def seal(public: bytes, key: bytes, aad: str) -> str:
    """Encrypt ``key`` to ``public``: ephemeral X25519, HKDF-SHA256, AES-256-GCM."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = eph.exchange(X25519PublicKey.from_public_bytes(public))
    k = HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + public, info=b"medrecords-seal").derive(shared)
    nonce = os.urandom(12)
    return b64e(eph_pub + nonce + AESGCM(k).encrypt(nonce, key, aad.encode()))


def open_sealed(private: bytes, sealed: str, aad: str) -> bytes | None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = b64d(sealed)
    eph_pub, nonce, ct = raw[:32], raw[32:44], raw[44:]
    priv = X25519PrivateKey.from_private_bytes(private)
    public = priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = priv.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    k = HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + public, info=b"medrecords-seal").derive(shared)
    try:
        return AESGCM(k).decrypt(nonce, ct, aad.encode())
    except InvalidTag:
        return None
