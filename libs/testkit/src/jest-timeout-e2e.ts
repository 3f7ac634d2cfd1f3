// End-to-end tests run whole services and syncs of up to 100k records.
jest.setTimeout(900_000);
