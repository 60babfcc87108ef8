"""Root test configuration: the real-stack fixtures of the kit serve every test folder."""

pytest_plugins = ["teilhabe_kit.testing"]
