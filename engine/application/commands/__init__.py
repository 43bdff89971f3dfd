"""The service's commands, each declared by what sets it apart (see ``steps``).

To add a command on a cycle: write its input checks (``validate``), declare a ``CycleCommand``
(who may, in which phases, which aggregate method), give it a public function with the
command's signature that calls ``run``, and bind that function in the service's class body
(engine/application/service.py).
"""
