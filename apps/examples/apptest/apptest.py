# -*- coding: utf-8 -*-
"""The reference's example app: func helloword returns the param's "my" value."""


class apptest(object):

    def helloword(self, param):
        if not isinstance(param, dict) or "my" not in param:
            return "false", 'helloword needs a param like {"my": "toryzen"}, got %r' % (param,)
        return "true", param["my"]
