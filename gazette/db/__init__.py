"""Database backends: Django's, with what Gazette needs of them."""
