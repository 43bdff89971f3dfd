"""The application: the service (commands in, events out; queries as plain data).

Also the audit, transfer, reminders, API tokens and the state coordinators' grants.
"""
