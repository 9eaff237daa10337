"""The Xiamen 2019 demo as data: organisations, firms, the projects the seed names, words.

Nothing here touches the database or draws a random number; `keyproj.demo.build` turns
these tables into a programme and `keyproj.demo.loader` writes it through the services.
"""
