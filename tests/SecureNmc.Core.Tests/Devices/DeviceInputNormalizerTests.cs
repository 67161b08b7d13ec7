using System.Collections.Generic;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Tests.Devices
{
    public class DeviceInputNormalizerTests : System.IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private readonly DeviceInputNormalizer _normalizer;
        private readonly ICredentialProtector _protector;

        public DeviceInputNormalizerTests()
        {
            _protector = new KeyFileCredentialProtector(_temp.Folder);
            _normalizer = new DeviceInputNormalizer(_protector);
        }

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void DefaultsToScpOnPort22AndNameFromHost()
        {
            var d = _normalizer.Create(new DeviceInput { Host = "10.1.1.1" });
            Assert.Equal(TransferProtocol.Scp, d.Protocol);
            Assert.Equal(22, d.Port);
            Assert.Equal("10.1.1.1", d.Name);
            Assert.False(d.HasStoredCredential);
            Assert.Null(d.ProtectedPassword);
        }

        [Fact]
        public void FtpWithoutPortGetsPort21()
        {
            var d = _normalizer.Create(new DeviceInput { Host = "nmc1", Protocol = "ftp" });
            Assert.Equal(TransferProtocol.Ftp, d.Protocol);
            Assert.Equal(21, d.Port);
        }

        [Theory]
        [InlineData("0", "from 1 to 65535")]
        [InlineData("65536", "from 1 to 65535")]
        [InlineData("-5", "from 1 to 65535")]
        [InlineData("ssh", "is not a number")]
        [InlineData("22.5", "is not a number")]
        public void BadPortsAreRejected(string port, string fragment)
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.1", Port = port });
            Assert.False(r.IsValid);
            var e = Assert.Single(r.Errors);
            Assert.Equal("Port", e.Field);
            Assert.Contains(fragment, e.Message);
        }

        [Fact]
        public void UnusualPortWarnsButIsAccepted()
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.1", Port = "2222" });
            Assert.True(r.IsValid);
            Assert.Equal(2222, r.Device!.Port);
            Assert.Contains(r.Warnings, w => w.Contains("5000-32768"));
            Assert.Empty(_normalizer.Normalize(new DeviceInput { Host = "10.1.1.1", Port = "5022" }).Warnings);
        }

        [Theory]
        [InlineData("SFTP", "no SFTP service")]
        [InlineData("telnet", "is not known")]
        public void UnknownProtocolsAreRejected(string protocol, string fragment)
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.1", Protocol = protocol });
            Assert.Contains(fragment, Assert.Single(r.Errors).Message);
        }

        [Fact]
        public void EveryProblemIsReportedWithItsSource()
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.300", Port = "x", Protocol = "gopher", Source = "line 7" });
            Assert.Equal(3, r.Errors.Count);
            Assert.All(r.Errors, e => Assert.StartsWith("line 7: ", e.Message));
            var ex = Assert.Throws<DeviceValidationException>(() => _normalizer.Create(new DeviceInput { Host = "a b" }));
            Assert.Contains("contains a space", ex.Message);
        }

        [Fact]
        public void PasswordIsProtectedAtOnceAndOpensAgain()
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.1", UserName = "apc", Password = "S3cret!pw" });
            Assert.True(r.HadPassword);
            var d = r.Device!;
            Assert.True(d.HasStoredCredential);
            Assert.DoesNotContain("S3cret", d.ProtectedPassword);
            var credential = _protector.GetCredential(d)!;
            Assert.Equal("apc", credential.UserName);
            Assert.Equal("S3cret!pw", credential.Password);
        }

        [Fact]
        public void PasswordWithoutUserNameIsRejected()
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.1", Password = "x" });
            Assert.Contains("without a user name", Assert.Single(r.Errors).Message);
        }

        [Fact]
        public void PipelinePropertiesAreMappedByAlias()
        {
            var props = new List<KeyValuePair<string, object?>>
            {
                new("IPAddress", "10.2.2.2"),
                new("Device Name", "Rack 4 UPS"),
                new("port", 5022),
                new("Login", "admin"),
                new("Unrelated", "x"),
            };
            var input = DeviceInput.FromProperties(props);
            var d = _normalizer.Create(input);
            Assert.Equal("10.2.2.2", d.Host);
            Assert.Equal("Rack 4 UPS", d.Name);
            Assert.Equal(5022, d.Port);
            Assert.Equal("admin", d.UserName);
            Assert.Null(d.ProtectedPassword);
        }

        [Fact]
        public void SiteIsKeptTrimmedAndABadSiteIsRefusedByField()
        {
            Assert.Equal("DC 1", _normalizer.Create(new DeviceInput { Host = "nmc1", Site = " DC 1 " }).Site);
            Assert.Null(_normalizer.Create(new DeviceInput { Host = "nmc1", Site = "" }).Site);
            var bad = _normalizer.Normalize(new DeviceInput { Host = "nmc1", Site = "a\u0001" });
            Assert.False(bad.IsValid);
            Assert.Equal(nameof(DeviceInput.Site), Assert.Single(bad.Errors).Field);
        }

        [Fact]
        public void SiteColumnHeadersMapToTheSiteField()
        {
            Assert.Equal(nameof(DeviceInput.Site), DeviceInput.FieldForHeader("Site"));
            Assert.Equal(nameof(DeviceInput.Site), DeviceInput.FieldForHeader("site_name"));
        }

        [Fact]
        public void ANameWithALineBreakPointsAtAnUnclosedCsvQuote()
        {
            var r = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.2", Name = "Rack 2\n10.0.0.4,d\n" });
            Assert.False(r.IsValid);
            Assert.Contains("a quote on that line is never closed", r.ErrorMessage);
            var tab = _normalizer.Normalize(new DeviceInput { Host = "10.1.1.2", Name = "a\tb" });
            Assert.DoesNotContain("quote", tab.ErrorMessage);
        }
    }
}
