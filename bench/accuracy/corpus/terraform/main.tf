terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.aws_access_key
  secret_key = var.aws_secret_key
}

resource "aws_db_instance" "orders" {
  identifier = "orders"
  username   = "orders"
  password   = "zVEp4ObBTuh28ShI4Pzj"
}

variable "aws_access_key" {}
variable "aws_secret_key" { sensitive = true }
