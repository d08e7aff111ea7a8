"""The demo content the browser tests start from, seeded as an operator would."""


def seed_demo(app):
    """Run `flask seed-demo` and check it worked: the CLI runner catches a command's exception
    and returns it in the result, so an unchecked call lets a broken seeder pass silently."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exception is None and result.exit_code == 0, result.output
    assert "Created the demo article /articles/" in result.output, result.output
    return result
