"""Display names: the key that makes two names the same name."""

import unicodedata


def display_name_key(name: str) -> str:
    """Fold case, compatibility forms and spacing, so "Ana  B" and "ANA b" collide."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(character for character in folded if character.isalnum())
