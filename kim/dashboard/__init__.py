"""The leaders' dashboard: the programme's figures for a year, for the regency or one kecamatan."""
