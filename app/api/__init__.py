"""HTTP routers, a module per domain. Handlers parse, call a service function, return."""
