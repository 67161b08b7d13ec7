using System;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class SubscriptionRulesTests
    {
        private static DateTime D(int y, int m, int d) => new DateTime(y, m, d);

        [Theory]
        [InlineData(2025, 6, 15, 1, 2026, 6, 15)]
        [InlineData(2025, 6, 15, 6, 2031, 6, 15)]
        [InlineData(2024, 2, 28, 1, 2025, 2, 28)]
        [InlineData(2024, 2, 29, 1, 2025, 3, 1)]   // no 29 Feb in 2025: the term ends on 1 March, no day lost
        [InlineData(2024, 2, 29, 3, 2027, 3, 1)]
        [InlineData(2024, 2, 29, 4, 2028, 2, 29)]  // leap year again: the real anniversary
        [InlineData(2023, 3, 1, 1, 2024, 3, 1)]
        [InlineData(2025, 12, 31, 2, 2027, 12, 31)]
        public void Term_end_is_the_nth_anniversary(int y, int m, int d, int years, int ey, int em, int ed) =>
            Assert.Equal(D(ey, em, ed), SubscriptionRules.TermEnd(D(y, m, d), years));

        [Fact]
        public void A_29_February_start_never_gets_less_than_a_28_February_start()
        {
            for (int years = 1; years <= 6; years++)
                Assert.True(SubscriptionRules.TermEnd(D(2024, 2, 29), years) > SubscriptionRules.TermEnd(D(2024, 2, 28), years));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(7)]
        public void Terms_outside_one_to_six_years_are_refused(int years) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionRules.TermEnd(D(2025, 1, 1), years));

        [Fact]
        public void Included_subscription_starts_with_cards_bought_on_1_April_2024()
        {
            Assert.False(SubscriptionRules.IncludesSubscription(D(2024, 3, 31)));
            Assert.True(SubscriptionRules.IncludesSubscription(D(2024, 4, 1)));
            Assert.True(SubscriptionRules.IncludesSubscription(new DateTime(2024, 4, 1, 23, 59, 0)));
            Assert.False(SubscriptionRules.IncludesSubscription(new DateTime(2024, 3, 31, 23, 59, 0)));
        }

        [Theory]
        [InlineData(-300, SubscriptionState.Active)]   // day 66 of the term
        [InlineData(-31, SubscriptionState.Active)]     // 31 days left: not yet amber
        [InlineData(-30, SubscriptionState.ExpiringSoon)] // exactly 30 days left: amber
        [InlineData(-1, SubscriptionState.ExpiringSoon)]  // last covered day
        [InlineData(0, SubscriptionState.Expired)]       // the expiry day itself
        [InlineData(1, SubscriptionState.Expired)]
        public void State_around_the_expiry_day(int offsetFromExpiry, SubscriptionState expected)
        {
            var validFrom = D(2025, 5, 10);
            var expires = SubscriptionRules.TermEnd(validFrom, 1); // 2026-05-10
            var today = expires.AddDays(offsetFromExpiry);
            Assert.Equal(expected, SubscriptionRules.StateOn(SubscriptionKind.Purchased, validFrom, expires, today));
            Assert.Equal(-offsetFromExpiry, SubscriptionRules.DaysLeft(expires, today));
        }

        [Fact]
        public void Included_kind_shows_as_Included_until_the_warning_window()
        {
            var from = D(2025, 1, 10);
            var expires = SubscriptionRules.TermEnd(from, 1);
            Assert.Equal(SubscriptionState.Included, SubscriptionRules.StateOn(SubscriptionKind.Included, from, expires, expires.AddDays(-31)));
            Assert.Equal(SubscriptionState.ExpiringSoon, SubscriptionRules.StateOn(SubscriptionKind.Included, from, expires, expires.AddDays(-30)));
            Assert.Equal(SubscriptionState.Expired, SubscriptionRules.StateOn(SubscriptionKind.Included, from, expires, expires));
        }

        [Fact]
        public void Before_its_first_day_a_record_licenses_nothing()
        {
            var from = D(2025, 1, 10);
            Assert.Equal(SubscriptionState.None, SubscriptionRules.StateOn(SubscriptionKind.Purchased, from, D(2026, 1, 10), D(2025, 1, 9)));
            Assert.False(SubscriptionRules.Licenses(SubscriptionState.None));
            Assert.False(SubscriptionRules.Licenses(SubscriptionState.Expired));
            Assert.True(SubscriptionRules.Licenses(SubscriptionState.ExpiringSoon));
            Assert.True(SubscriptionRules.Licenses(SubscriptionState.Included));
            Assert.True(SubscriptionRules.Licenses(SubscriptionState.Active));
        }

        [Fact]
        public void A_leap_day_expiry_is_handled_at_the_warning_threshold()
        {
            // Term expiring 29 Feb 2028: the amber window opens 30 days before, on 30 Jan 2028.
            var from = D(2024, 2, 29);
            var expires = SubscriptionRules.TermEnd(from, 4);
            Assert.Equal(D(2028, 2, 29), expires);
            Assert.Equal(SubscriptionState.Active, SubscriptionRules.StateOn(SubscriptionKind.Purchased, from, expires, D(2028, 1, 29)));
            Assert.Equal(SubscriptionState.ExpiringSoon, SubscriptionRules.StateOn(SubscriptionKind.Purchased, from, expires, D(2028, 1, 30)));
            Assert.Equal(SubscriptionState.ExpiringSoon, SubscriptionRules.StateOn(SubscriptionKind.Purchased, from, expires, D(2028, 2, 28)));
            Assert.Equal(SubscriptionState.Expired, SubscriptionRules.StateOn(SubscriptionKind.Purchased, from, expires, D(2028, 2, 29)));
        }
    }
}
