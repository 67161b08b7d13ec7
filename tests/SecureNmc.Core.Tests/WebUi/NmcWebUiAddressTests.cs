using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.WebUi;

namespace SecureNmc.Core.Tests.WebUi
{
    public sealed class NmcWebUiAddressTests
    {
        [Theory]
        [InlineData("10.20.0.15", 443, "https://10.20.0.15/")]
        [InlineData("UPS1.Example.COM", 443, "https://ups1.example.com/")]
        [InlineData("ups1.example.com.", 443, "https://ups1.example.com/")]
        [InlineData("nmc-07", 8443, "https://nmc-07:8443/")]
        public void The_address_is_https_on_the_devices_host_with_the_port_only_when_not_443(string host, int port, string expected)
        {
            var device = new NmcDevice { Host = host, Name = "ups" };
            Assert.Equal(expected, NmcWebUiAddress.For(device, port).AbsoluteUri);
        }

        [Theory]
        [InlineData("http://10.0.0.1")]
        [InlineData("10.0.0.1/evil")]
        [InlineData("host name")]
        [InlineData("a\"&calc")]
        [InlineData("user@10.0.0.1")]
        [InlineData("")]
        public void A_host_that_is_not_a_plain_address_or_name_is_refused_naming_the_device(string host)
        {
            var device = new NmcDevice { Host = host, Name = "ups-9" };
            var ex = Assert.Throws<ArgumentException>(() => NmcWebUiAddress.For(device));
            Assert.Contains("'ups-9'", ex.Message);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        public void A_port_out_of_range_is_refused(int port)
        {
            var ex = Assert.Throws<ArgumentException>(() => NmcWebUiAddress.For("10.0.0.1", port, "ups-1"));
            Assert.Contains(port.ToString(), ex.Message);
        }

        [Fact]
        public void Each_platform_opens_the_url_its_own_way()
        {
            var url = new Uri("https://10.20.0.15/");
            var windows = BrowserLauncher.Plan(url, DesktopPlatform.Windows);
            Assert.True(windows.UseShellExecute);
            Assert.Equal("https://10.20.0.15/", windows.FileName);
            Assert.Null(windows.Argument);

            var linux = BrowserLauncher.Plan(url, DesktopPlatform.Linux);
            Assert.False(linux.UseShellExecute);
            Assert.Equal("xdg-open", linux.FileName);
            Assert.Equal("https://10.20.0.15/", linux.Argument);

            var mac = BrowserLauncher.Plan(url, DesktopPlatform.MacOS);
            Assert.Equal("open", mac.FileName);
            Assert.Equal("https://10.20.0.15/", mac.Argument);
        }

        [Theory]
        [InlineData("file:///etc/passwd")]
        [InlineData("http://10.0.0.1/")]
        [InlineData("javascript:alert(1)")]
        public void Only_https_urls_reach_the_shell(string url)
        {
            Assert.Throws<ArgumentException>(() => BrowserLauncher.Plan(new Uri(url), DesktopPlatform.Windows));
        }
    }
}
