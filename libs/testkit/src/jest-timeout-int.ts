// Integration tests talk to real servers: a generous per-test limit (jest's 5 s default is for unit tests).
jest.setTimeout(120_000);
