#!/usr/bin/env python3
"""Signs an Edgedesk embed token (an HS256 JWT) for the logged-in client; standard library only.

    EDGEDESK_TENANT=demo EDGEDESK_KID=northwind-1 EDGEDESK_EMBED_SECRET=... \\
      python3 examples/python/sign_token.py [sub email name]

In a panel (Django, Flask, ...), call embed_token() in the view behind the widget's tokenProvider,
with the client from your session; never in the browser (the secret would be anyone's).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def embed_token(client: dict, services: list, tenant: str, kid: str, secret: str, ttl: int = 600) -> str:
    """The token for client ({id, email, name}) and their services ([{id, label, host?}]); ttl in seconds."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    claims = {
        "iss": tenant,
        "aud": "edgedesk",
        "sub": str(client["id"]),
        "email": client["email"],
        "name": client["name"],
        "role": "customer",
        "services": services,
        "iat": now,
        "exp": now + ttl,
    }
    signed = _b64url(_json(header)) + "." + _b64url(_json(claims))
    signature = hmac.new(secret.encode("utf-8"), signed.encode("ascii"), hashlib.sha256).digest()
    return signed + "." + _b64url(signature)


def services_from_products(products: list) -> list:
    """Billing products (WHMCS GetClientsProducts rows: id, name, domain, dedicatedip, status) as
    services, active ones only: host is the domain, else the dedicated IP."""
    services = []
    for product in products:
        if product.get("status", "Active") != "Active":
            continue
        domain = (product.get("domain") or "").strip()
        host = domain or (product.get("dedicatedip") or "").strip()
        service = {"id": str(product["id"]), "label": f"{product['name']} — {domain}" if domain else product["name"]}
        if host:
            service["host"] = host
        services.append(service)
    return services


# A sample client's products; your panel takes them from its billing system.
SAMPLE_PRODUCTS = [
    {"id": 1042, "name": "Business Web Hosting", "domain": "example.com", "dedicatedip": "", "status": "Active"},
    {"id": 1043, "name": "VPS 4 GB", "domain": "", "dedicatedip": "203.0.113.17", "status": "Active"},
    {"id": 1007, "name": "Starter Hosting", "domain": "old.example", "dedicatedip": "", "status": "Cancelled"},
]

if __name__ == "__main__":
    settings = {}
    for key, name in (("tenant", "EDGEDESK_TENANT"), ("kid", "EDGEDESK_KID"), ("secret", "EDGEDESK_EMBED_SECRET")):
        settings[key] = os.environ.get(name, "")
        if not settings[key]:
            print(f"{name} is not set", file=sys.stderr)
            sys.exit(2)
    args = sys.argv[1:4]
    sub, email, name = args + ["1001", "alice@example.com", "Alice Moreno"][len(args) :]
    print(embed_token({"id": sub, "email": email, "name": name}, services_from_products(SAMPLE_PRODUCTS), **settings))
