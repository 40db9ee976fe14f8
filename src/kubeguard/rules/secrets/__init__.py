"""Service accounts and secrets: token mounting, default accounts, secrets in env, config and annotations."""
