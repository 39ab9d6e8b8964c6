"""The county overview ("samlad bild"): per problem area, who works on it and how, from the dialogue records."""
