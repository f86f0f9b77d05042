"""Car Bridge's benchmarks, one module per figure group (run them with ``script/bench``).

- ``simulator``: CPU and state writes per tick (driving, parked), and the
  catch-up after a stalled host.
- ``approach``: one fix sequence through core ``proximity`` and Car Bridge.
- ``fair``: proximity and a mirror vehicle watching the same tracker's writes.
- ``quality``: the pure engine on simulated drives (delays, time to home,
  jitter, glitches, small zones).
- ``formats``: the webhook payload parsers alone.
- ``webhook``: posts over loopback HTTP, flooded and at the senders' real cadence.
- ``energy``: the energy meter across restarts, the solar blueprint on two days.

``common`` holds what several of them share. Nothing here pokes private
members: the simulator is ticked through the source seam (``VehicleSource.tick``,
what its timer calls), mirrored cars are fed through the tracker they watch, and
the simulator's true position is its public one.
"""
