-- What a request used beyond text: the tool calls its answer made, and whether it asked for a JSON schema or object.
ALTER TABLE requests ADD COLUMN tool_calls INTEGER;
ALTER TABLE requests ADD COLUMN structured INTEGER;
