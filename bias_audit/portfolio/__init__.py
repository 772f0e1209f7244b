"""Review a trust's whole set of job descriptions at once (issue 13).

Reads a folder of job descriptions, parses each one's requirements with the
advert checker's parser, lays them out as a documents-by-demands matrix per
band, and judges every essential demand against the Agenda for Change national
job profile level for that band.
"""
