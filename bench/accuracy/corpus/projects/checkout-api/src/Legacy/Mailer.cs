using System.Net;
public class Mailer {
    private readonly NetworkCredential _cred = new NetworkCredential("noreply@corp.example", "W8ovyAKqpj7k4J%1");
    private const string Db = "Server=sql01;Database=Mail;User Id=mailer;Password=Jmber3865_harbor;";
    private const string Odbc = "Driver={ODBC Driver 18 for SQL Server};Server=sql02;Uid=etl;Pwd=willow_Jylon67;";
    private const string Trusted = "Server=sql01;Database=Mail;Integrated Security=true;";
}
