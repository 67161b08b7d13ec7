using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.Devices
{
    public class WildcardMatcherTests
    {
        [Theory]
        [InlineData("ups*", "UPS-01", true)]
        [InlineData("ups*", "pdu-01", false)]
        [InlineData("*01", "ups-01", true)]
        [InlineData("ups-0?", "ups-07", true)]
        [InlineData("ups-0?", "ups-007", false)]
        [InlineData("ups-[a-c]", "ups-B", true)]
        [InlineData("ups-[a-c]", "ups-d", false)]
        [InlineData("ups-[xyz]1", "ups-y1", true)]
        [InlineData("10.0.0.*", "10.0.0.15", true)]
        [InlineData("10.0.0.*", "10.0.01x15", false)]
        [InlineData("a`*b", "a*b", true)]
        [InlineData("a`*b", "axxb", false)]
        [InlineData("a`[1]", "a[1]", true)]
        [InlineData("rack(1)+", "rack(1)+", true)]
        [InlineData("exact", "EXACT", true)]
        [InlineData("exact", "exactly", false)]
        public void MatchesLikePowerShell(string pattern, string text, bool expected) =>
            Assert.Equal(expected, new WildcardMatcher(pattern).IsMatch(text));

        [Fact]
        public void UnclosedBracketIsAClearError()
        {
            var ex = Assert.Throws<ArgumentException>(() => new WildcardMatcher("ups[1"));
            Assert.Contains("no matching ']'", ex.Message);
        }
    }
}
