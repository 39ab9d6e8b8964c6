"""The staff's daily digest: which days (calendar), what to say (collect), a chart, the mail (render), once a day (send)."""
