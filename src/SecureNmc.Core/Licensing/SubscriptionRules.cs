using System;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// The Secure NMC subscription rules as pure functions of dates (no clock, no I/O), shared by the
    /// client (state, update gate, what-if text) and the simulated service (what an activation does).
    ///
    /// Dates are UTC calendar days (DateTime with only the date part). A subscription is valid from its
    /// first day (inclusive) until its expiry day (exclusive): on <c>ExpiresOn</c> it is expired. A term of
    /// N years starting on day D expires on the N-th anniversary of D; an anniversary that falls on a
    /// 29 February that does not exist is 1 March, so a 29 February start never loses a day.
    /// </summary>
    public static class SubscriptionRules
    {
        public const int MinTermYears = 1;
        public const int MaxTermYears = 6;
        public const int IncludedTermYears = 1;

        /// <summary>The SNS Tool turns the expiry icon amber with 30 days remaining.</summary>
        public const int ExpiryWarningDays = 30;

        /// <summary>Cards bought on or after this day carry an included 1-year subscription.</summary>
        public static readonly DateTime IncludedSubscriptionFrom = new DateTime(2024, 4, 1);

        /// <summary>The expiry day (first day no longer covered) of a term of <paramref name="years"/> starting on <paramref name="start"/>.</summary>
        public static DateTime TermEnd(DateTime start, int years)
        {
            if (years < MinTermYears || years > MaxTermYears)
                throw new ArgumentOutOfRangeException(nameof(years), $"A subscription term is {MinTermYears} to {MaxTermYears} years, not {years}.");
            var day = start.Date;
            int year = day.Year + years;
            if (day.Month == 2 && day.Day == 29 && !DateTime.IsLeapYear(year))
                return new DateTime(year, 3, 1);
            return new DateTime(year, day.Month, day.Day);
        }

        /// <summary>True when a card bought on <paramref name="purchaseDate"/> carries an included subscription.</summary>
        public static bool IncludesSubscription(DateTime purchaseDate) => purchaseDate.Date >= IncludedSubscriptionFrom;

        /// <summary>Whole days from <paramref name="today"/> to the expiry day: 1 on the last covered day, 0 on the expiry day.</summary>
        public static int DaysLeft(DateTime expiresOn, DateTime today) => (expiresOn.Date - today.Date).Days;

        /// <summary>True on each day from <paramref name="validFrom"/> up to, not including, <paramref name="expiresOn"/>.</summary>
        public static bool Covers(DateTime validFrom, DateTime expiresOn, DateTime today) =>
            today.Date >= validFrom.Date && today.Date < expiresOn.Date;

        /// <summary>
        /// The state on <paramref name="today"/>: Expired from the expiry day on; ExpiringSoon when 1 to 30 days
        /// are left (whatever the kind); otherwise Included or Active by kind. Before its first day a record
        /// licenses nothing (None): that only happens when a clock is behind the service's.
        /// </summary>
        public static SubscriptionState StateOn(SubscriptionKind kind, DateTime validFrom, DateTime expiresOn, DateTime today)
        {
            int left = DaysLeft(expiresOn, today);
            if (left <= 0) return SubscriptionState.Expired;
            if (today.Date < validFrom.Date) return SubscriptionState.None;
            if (left <= ExpiryWarningDays) return SubscriptionState.ExpiringSoon;
            return kind == SubscriptionKind.Included ? SubscriptionState.Included : SubscriptionState.Active;
        }

        /// <summary>True when a card whose subscription is in this state may receive Secure NMC firmware.</summary>
        public static bool Licenses(SubscriptionState state) =>
            state == SubscriptionState.Active || state == SubscriptionState.Included || state == SubscriptionState.ExpiringSoon;
    }
}
