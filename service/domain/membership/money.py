"""Money as integer minor units with ISO 4217 codes: parsing, checking and showing amounts."""

from decimal import Decimal, InvalidOperation

# Active ISO 4217 codes. Most have two minor digits; the exceptions are listed below.
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
    BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
    ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD
    JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
    MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
    QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XOF XPF
    YER ZAR ZMW ZWG
    """.split()
)
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD IQD JOD KWD LYD OMR TND".split())
FOUR_DECIMAL = frozenset("CLF UYW".split())
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

# Anything above this many minor units is a typo, not a membership fee.
MAX_AMOUNT_MINOR = 100_000_000


def exponent(currency):
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    if currency in FOUR_DECIMAL:
        return 4
    return 2


def clean_currency(value):
    """An upper-case ISO 4217 code, or None when the value is not one."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if code in CURRENCIES else None


def check_minor(value):
    """Why `value` is not a usable amount in minor units, or None when it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "A whole number of minor units (cents), e.g. 500 for 5.00."
    if value < 0:
        return "The amount cannot be negative."
    if value > MAX_AMOUNT_MINOR:
        return f"At most {MAX_AMOUNT_MINOR} minor units."
    return None


def parse_major(text, currency):
    """'12.50' in EUR -> 1250. Raises ValueError with a message for people filling in a form."""
    try:
        amount = Decimal(str(text).strip() or "0")
    except InvalidOperation:
        raise ValueError("Enter an amount such as 12.50.") from None
    if not amount.is_finite():
        raise ValueError("Enter an amount such as 12.50.")
    places = exponent(currency)
    minor = amount.scaleb(places)
    if minor != minor.to_integral_value():
        raise ValueError(f"{currency} amounts have at most {places} decimal places.")
    minor = int(minor)
    problem = check_minor(minor)
    if problem:
        raise ValueError(problem)
    return minor


def to_major(minor, currency):
    """1250, EUR -> '12.50': the form value for an amount."""
    places = exponent(currency)
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


def format_money(minor, currency):
    """1250, EUR -> '€12.50'; codes without a well-known symbol are written out."""
    amount = f"{Decimal(minor).scaleb(-exponent(currency)):,.{exponent(currency)}f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"
