"""Second factor (TOTP with single-use backup codes), session lifetimes and re-authentication."""
