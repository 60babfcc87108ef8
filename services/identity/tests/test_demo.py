"""The demo loader is idempotent and its accounts can sign in."""

import jwt
from identity_support import API, unique_address

from identity import demo, demo_centre


async def test_demo_accounts_are_created_once_and_can_sign_in(client, engine):
    first = await demo.load(engine)
    again = await demo.load(engine)
    assert first == again and len(first) == len(demo.DEMO_ACCOUNTS) + 1 == 10
    await demo.reset_passwords(engine, first)
    for account in demo.DEMO_ACCOUNTS:
        response = await client.post(
            f"{API}/auth/login", json={"login": account.email, "password": account.password}, headers=unique_address()
        )
        assert response.status_code == 200, (account.email, response.text)
        if account in demo.CENTRE_STAFF:  # the demo centre's team acts for the demo centre
            claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
            assert (claims["org"], claims["roles"]) == (demo_centre.DEMO_CENTRE_ID, [account.role.value])
