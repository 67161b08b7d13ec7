using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.Devices
{
    public class HostNameValidatorTests
    {
        [Theory]
        [InlineData("192.168.1.20", "192.168.1.20", HostKind.IPv4Address)]
        [InlineData("127.0.0.1", "127.0.0.1", HostKind.IPv4Address)]
        [InlineData(" 10.0.0.1 ", "10.0.0.1", HostKind.IPv4Address)]
        [InlineData("nmc-01", "nmc-01", HostKind.DnsName)]
        [InlineData("ups1.dc.example.com", "ups1.dc.example.com", HostKind.DnsName)]
        [InlineData("ups1.example.com.", "ups1.example.com", HostKind.DnsName)]
        [InlineData("3com.example.net", "3com.example.net", HostKind.DnsName)]
        public void AcceptsAddressesAndNames(string input, string expected, HostKind kind)
        {
            var result = HostNameValidator.Validate(input);
            Assert.True(result.IsValid, result.Error);
            Assert.Equal(expected, result.Host);
            Assert.Equal(kind, result.Kind);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData("https://nmc1.example.com", "is a URL")]
        [InlineData("ftp://10.0.0.1/", "is a URL")]
        [InlineData("10.0.0.1:22", "includes a port")]
        [InlineData("nmc1.example.com:5022", "includes a port")]
        [InlineData("fe80::1", "IPv6")]
        [InlineData("[2001:db8::5]", "IPv6")]
        [InlineData("2001:db8::5", "IPv4 only")]
        [InlineData("nmc 1", "contains a space")]
        [InlineData("apc@10.0.0.1", "contains '@'")]
        [InlineData("10.0.0.0/24", "'/'")]
        [InlineData("10.0.0.256", "256 is greater than 255")]
        [InlineData("10.0.0", "four numbers")]
        [InlineData("10.0.0.1.5", "four numbers")]
        [InlineData("010.0.0.1", "leading zero")]
        [InlineData("10..0.1", "empty part")]
        [InlineData("0.0.0.0", "unspecified")]
        [InlineData("239.1.1.1", "multicast")]
        [InlineData("nmc_1.example.com", "contains '_'")]
        [InlineData("-nmc.example.com", "hyphen")]
        [InlineData("nmc-.example.com", "hyphen")]
        [InlineData("nmc..example.com", "empty label")]
        [InlineData("ünmc.example.com", "punycode")]
        [InlineData("host.123", "last part is a number")]
        public void RejectsWithSpecificMessage(string input, string expectedFragment)
        {
            var result = HostNameValidator.Validate(input);
            Assert.False(result.IsValid);
            Assert.Null(result.Host);
            Assert.Contains(expectedFragment, result.Error);
        }

        [Fact]
        public void RejectsOverlongLabelAndName()
        {
            var longLabel = new string('a', 64) + ".example.com";
            Assert.Contains("at most 63", HostNameValidator.Validate(longLabel).Error);
            var longName = string.Join(".", System.Linq.Enumerable.Repeat(new string('b', 60), 5));
            Assert.Contains("at most 253", HostNameValidator.Validate(longName).Error);
            Assert.True(HostNameValidator.Validate(new string('a', 63) + ".example.com").IsValid);
        }

        [Fact]
        public void SameHostIgnoresCaseAndTrailingDot()
        {
            Assert.True(HostNameValidator.SameHost("NMC1.Example.com.", "nmc1.example.com"));
            Assert.False(HostNameValidator.SameHost("nmc1", "nmc2"));
        }
    }
}
