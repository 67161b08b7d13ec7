using System;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Tests.Csv
{
    public class DeviceCsvReaderTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private readonly KeyFileCredentialProtector _protector;
        private readonly DeviceCsvReader _reader;

        public DeviceCsvReaderTests()
        {
            _protector = new KeyFileCredentialProtector(_temp.Folder);
            _reader = new DeviceCsvReader(_protector);
        }

        public void Dispose() => _temp.Dispose();

        private DeviceCsvReadResult Read(string text) => _reader.Read(new StringReader(text), "test.csv");

        private string WriteFile(string text, Encoding encoding)
        {
            Directory.CreateDirectory(_temp.Path);
            var path = Path.Combine(_temp.Path, "devices.csv");
            File.WriteAllText(path, text, encoding);
            return path;
        }

        [Fact]
        public void HeaderlessFileUsesTheDocumentedColumnOrder()
        {
            var r = Read("10.0.0.1,SCP,22,apc,secret1,UPS one\n10.0.0.2,FTP\n10.0.0.3\n");
            Assert.False(r.HasHeader);
            Assert.Empty(r.Problems);
            Assert.Equal(3, r.Rows.Count);
            var first = r.Rows[0].Device;
            Assert.Equal(("10.0.0.1", TransferProtocol.Scp, 22, "apc", "UPS one"), (first.Host, first.Protocol, first.Port, first.UserName, first.Name));
            Assert.Equal("secret1", _protector.GetCredential(first)!.Password);
            Assert.Equal((TransferProtocol.Ftp, 21), (r.Rows[1].Device.Protocol, r.Rows[1].Device.Port));
            Assert.Equal((TransferProtocol.Scp, 22), (r.Rows[2].Device.Protocol, r.Rows[2].Device.Port));
            Assert.True(r.ContainsPlaintextPasswords);
        }

        [Fact]
        public void Utf8BomCommentsBlankLinesAndQuotedCommasWithLineNumbers()
        {
            var text =
                "; SNS Tool device file\n" +                       // 1
                "IPAddress,Protocol,Port,User,Password,Name\n" +  // 2
                "\n" +                                            // 3
                "10.0.0.1,SCP,22,apc,\"pa,ss\",\"Rack 1, UPS A\"\n" + // 4
                ";10.0.0.99,SCP,22,apc,x,commented out\n" +        // 5
                "   \n" +                                         // 6
                ",,,,,\n" +                                       // 7
                "10.0.0.2,ftp,,admin,\"say \"\"hi\"\"\",\n" +      // 8
                "10.0.0.300,SCP,22,,,\n";                          // 9
            var path = WriteFile(text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);

            var r = _reader.ReadFile(path);
            Assert.True(r.HasHeader);
            Assert.Equal(new[] { 4, 8 }, r.Rows.Select(x => x.LineNumber));
            Assert.Equal("Rack 1, UPS A", r.Rows[0].Device.Name);
            Assert.Equal("pa,ss", _protector.GetCredential(r.Rows[0].Device)!.Password);
            Assert.Equal("say \"hi\"", _protector.GetCredential(r.Rows[1].Device)!.Password);
            Assert.Equal(21, r.Rows[1].Device.Port);
            var problem = Assert.Single(r.Problems);
            Assert.Equal(9, problem.LineNumber);
            Assert.Equal(DeviceImportProblemKind.BadAddress, problem.Kind);
            Assert.Contains("300 is greater than 255", problem.Reason);
            Assert.StartsWith("Line 9: ", problem.Reason);
        }

        [Fact]
        public void Utf16WithBomIsReadToo()
        {
            var path = WriteFile("Host,Port\r\nnmc1.example.com,5022\r\n", new UnicodeEncoding(false, true));
            var r = _reader.ReadFile(path);
            Assert.Equal("nmc1.example.com", Assert.Single(r.Rows).Device.Host);
            Assert.Equal(5022, r.Rows[0].Device.Port);
        }

        [Theory]
        [InlineData("Host")]
        [InlineData("HostName")]
        [InlineData("IPAddress")]
        [InlineData("IP")]
        [InlineData("Address")]
        [InlineData("ip address")]
        [InlineData("HOST_NAME")]
        public void HostHeaderAliases(string header)
        {
            var r = Read($"{header}\n10.9.9.9\n");
            Assert.True(r.HasHeader);
            Assert.Equal("10.9.9.9", Assert.Single(r.Rows).Device.Host);
        }

        [Theory]
        [InlineData("UserName")]
        [InlineData("User")]
        [InlineData("Username")]
        [InlineData("Login")]
        public void UserHeaderAliasesAndColumnOrderFromHeader(string header)
        {
            var r = Read($"Name,Password,{header},Port,Protocol,Address\nMy UPS,pw,admin,21,FTP,ups.example.com\n");
            var d = Assert.Single(r.Rows).Device;
            Assert.Equal(("ups.example.com", TransferProtocol.Ftp, 21, "admin", "My UPS"), (d.Host, d.Protocol, d.Port, d.UserName, d.Name));
            Assert.Equal("pw", _protector.GetCredential(d)!.Password);
        }

        [Fact]
        public void EveryBadLineIsReportedWhileGoodLinesAreKept()
        {
            var r = Read(
                "Host,Protocol,Port\n" +
                "10.0.0.1,SCP,22\n" +     // 2 good
                "10.0.0.2,SCP,99999\n" +  // 3 bad port
                "10.0.0.3,SCP,abc\n" +    // 4 bad port
                "10.0.0.4,HTTP,80\n" +    // 5 unknown protocol
                "http://x,SCP,22\n" +     // 6 bad address
                "fe80::1,SCP,22\n" +      // 7 IPv6
                "10.0.0.8,SCP,22,extra\n" + // 8 too many fields
                "10.0.0.9 ,ftp, 21 \n");  // 9 good (trimmed)
            Assert.Equal(new[] { 2, 9 }, r.Rows.Select(x => x.LineNumber));
            Assert.Equal(new[] { 3, 4, 5, 6, 7, 8 }, r.Problems.Select(p => p.LineNumber));
            Assert.Equal(new[] { DeviceImportProblemKind.BadPort, DeviceImportProblemKind.BadPort, DeviceImportProblemKind.UnknownProtocol,
                DeviceImportProblemKind.BadAddress, DeviceImportProblemKind.BadAddress, DeviceImportProblemKind.BadLine }, r.Problems.Select(p => p.Kind));
            Assert.Contains("99999", r.Problems[0].Reason);
            Assert.Contains("not a number", r.Problems[1].Reason);
            Assert.Contains("'HTTP' is not known", r.Problems[2].Reason);
            Assert.Contains("IPv4", r.Problems[4].Reason);
            Assert.Contains("4 fields", r.Problems[5].Reason);
            Assert.False(r.ContainsPlaintextPasswords);
        }

        [Fact]
        public void StrayQuoteIsABadLineAndReadingGoesOn()
        {
            var r = Read("10.0.0.1,SCP\n10.0.0.2\"x,SCP\n10.0.0.3,SCP\n");
            Assert.Equal(new[] { 1, 3 }, r.Rows.Select(x => x.LineNumber));
            var p = Assert.Single(r.Problems);
            Assert.Equal((2, DeviceImportProblemKind.BadLine), (p.LineNumber, p.Kind));
        }

        [Fact]
        public void QuotedFieldSpanningLinesKeepsLaterLineNumbersRight()
        {
            var r = Read("Host,User,Password\n10.0.0.1,apc,\"two\nlines\"\n10.0.0.256,x,y\n");
            Assert.Equal(2, Assert.Single(r.Rows).LineNumber);
            Assert.Equal(4, Assert.Single(r.Problems).LineNumber);
        }

        [Fact]
        public void SemicolonSeparatedFileIsExplained()
        {
            var r = Read("10.0.0.1;SCP;22\n");
            Assert.Contains("semicolon-separated", Assert.Single(r.Problems).Reason);
        }

        [Fact]
        public void HeaderWithoutHostColumnIsRejected()
        {
            var r = Read("Name,Port\nx,22\n");
            Assert.Empty(r.Rows);
            Assert.Contains("no host column", Assert.Single(r.Problems).Reason);
        }

        [Fact]
        public void UnknownColumnsAreIgnoredWithAWarning()
        {
            var r = Read("Host,Location\n10.0.0.1,DC1\n");
            Assert.Single(r.Rows);
            Assert.Contains(r.Warnings, w => w.Contains("'Location'"));
        }

        [Fact]
        public void ProblemsNeverContainThePassword()
        {
            var r = Read("10.0.0.999,SCP,22,apc,Hunter2Secret\n10.0.0.1,SCP,22,,Hunter2Secret\n");
            Assert.Equal(2, r.Problems.Count);
            Assert.All(r.Problems, p => Assert.DoesNotContain("Hunter2Secret", p.Reason));
        }

        [Fact]
        public void TenThousandRowsImportWithDuplicatesReportedByLine()
        {
            var sb = new StringBuilder("Host,Protocol,Port,UserName,Password\n");
            for (int i = 0; i < 10_000; i++) sb.Append($"10.{i / 65536}.{i / 256 % 256}.{i % 256 + 0},SCP,22,apc,pw{i}\n".Replace(".0,SCP", ".0,SCP"));
            sb.Append("10.0.0.5,SCP,22,apc,pw\n"); // line 10,002 duplicates line 7
            var path = WriteFile(sb.ToString(), new UTF8Encoding(false));

            var inventory = new DeviceInventory(_temp.Folder);
            var report = new DeviceFileImporter(inventory, _protector).Import(path);
            Assert.Equal(10_000, report.Added.Count);
            var dup = Assert.Single(report.Problems);
            Assert.Equal((10_002, DeviceImportProblemKind.Duplicate), (dup.LineNumber, dup.Kind));
            Assert.True(report.ContainsPlaintextPasswords);
            Assert.Equal(10_000, inventory.GetAll().Count);

            // Importing the same file again adds nothing and reports every line.
            var again = new DeviceFileImporter(inventory, _protector).Import(path);
            Assert.Empty(again.Added);
            Assert.Equal(10_001, again.Problems.Count);
            Assert.All(again.Problems, p => Assert.Equal(DeviceImportProblemKind.Duplicate, p.Kind));
        }

        [Fact]
        public void MissingFileNamesThePath()
        {
            var ex = Assert.Throws<FileNotFoundException>(() => _reader.ReadFile(Path.Combine(_temp.Path, "nope.csv")));
            Assert.Contains("nope.csv", ex.Message);
        }
    }
}
