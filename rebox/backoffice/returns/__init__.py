"""The agents' returns queue: filters, deadlines, approve / decline / ask for more, bulk
approval, and returns created on a customer's behalf."""
