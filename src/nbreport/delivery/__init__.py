"""Getting reports to clients: ``nbreport send`` e-mails each approved report (:mod:`.send`)."""
