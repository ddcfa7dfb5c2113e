"""The suite, grouped like the code: accounts/, clts/, schemes/, partnerships/, home/; browser and
keyboard journeys in journeys/; project-wide checks in project/; the planted tenants in worlds/;
the permission matrix and isolation tests in permissions/."""
