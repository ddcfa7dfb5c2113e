"""The top floor: each role's home page. It has no models and reads only through the selectors of
the apps below it (accounts, partnerships, clts, schemes); nothing imports it but the URLs."""
